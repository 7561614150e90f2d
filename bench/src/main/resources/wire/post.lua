-- wrk script of `bench/run wire` (WireBench): POST /api/v1/documents with NDJSON batch bodies read
-- from the files given after `--` (one batch per file), each connection cycling through them:
--   wrk -t1 -c1 -d10s -s post.lua http://127.0.0.1:8080 -- batch-0.ndjson batch-1.ndjson ...
-- done() prints one WIRE line like get.lua's (the store answers 201; anything else is an error).
local bodies = {}
local next_body = 0
local headers = { ["Content-Type"] = "application/x-ndjson" }

function init(args)
  for i = 1, #args do
    local f = assert(io.open(args[i], "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/api/v1/documents", headers, bodies[next_body])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WIRE %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
