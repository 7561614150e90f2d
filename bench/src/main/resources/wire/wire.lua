-- wrk script of `bench/run wire` (WireBench); what it sends is chosen by the arguments after `--`:
--   wrk -t2 -c16 -d10s -s wire.lua http://127.0.0.1:8080 -- get ids.txt
--       GET /api/v1/documents/{id}, each id picked at random from ids.txt (one existing id a line)
--   wrk -t2 -c16 -d10s -s wire.lua http://127.0.0.1:8080 -- ping
--       GET /api/v1/ping (204, touches nothing): what the HTTP stack alone costs at that load
--   wrk -t1 -c1 -d10s -s wire.lua http://127.0.0.1:8080 -- post batch-0.ndjson batch-1.ndjson ...
--       POST /api/v1/documents with the NDJSON bodies of those files (one batch a file), in turn
--   wrk -t1 -c1 -d10s -s wire.lua http://127.0.0.1:8081 -- discard batch-0.ndjson batch-1.ndjson ...
--       the same bodies to POST /floor/discard of bench/floor (the framework alone reads them)
-- done() prints one WIRE line that WireBench parses: requests, duration µs, p50 µs, p99 µs,
-- non-2xx answers, socket errors (WireBench fails the run if either of the last two is not 0).
local paths = {}
local bodies = {}
local next_body = 0
local target = "/api/v1/documents"
local ndjson = { ["Content-Type"] = "application/x-ndjson" }

function init(args)
  if args[1] == "get" then
    for line in io.lines(args[2]) do
      paths[#paths + 1] = "/api/v1/documents/" .. line
    end
    -- every thread its own sequence: wrk gives each thread its own Lua state, seeded alike
    math.randomseed(os.time() + tonumber(tostring(paths):match("0x(%x+)") or "0", 16) % 100000)
  elseif args[1] == "ping" then
    paths[1] = "/api/v1/ping"
  elseif args[1] == "post" or args[1] == "discard" then
    if args[1] == "discard" then
      target = "/floor/discard"
    end
    for i = 2, #args do
      local f = assert(io.open(args[i], "rb"))
      bodies[#bodies + 1] = f:read("*a")
      f:close()
    end
  else
    error("wire.lua: first argument get, ping, post or discard, not " .. tostring(args[1]))
  end
end

function request()
  if #paths > 0 then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  next_body = next_body % #bodies + 1
  return wrk.format("POST", target, ndjson, bodies[next_body])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WIRE %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
