-- wrk script of `bench/run wire` (WireBench): GET /api/v1/documents/{id} with ids picked at
-- random from a file of existing ids (one per line), given after `--`:
--   wrk -t2 -c16 -d10s -s get.lua http://127.0.0.1:8080 -- ids.txt
-- done() prints one WIRE line that WireBench parses: requests, duration µs, p50 µs, p99 µs,
-- non-2xx answers, socket errors.
local ids = {}

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = "/api/v1/documents/" .. line
  end
  -- every thread its own sequence: wrk gives each thread its own Lua state, seeded alike
  math.randomseed(os.time() + tonumber(tostring(ids):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  return wrk.format("GET", ids[math.random(#ids)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WIRE %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
