-- wrk script: GET pipelining. Each request() writes `depth` GETs of random ids back to back on one connection:
--   wrk -t2 -c16 -d5s -s pipeline.lua http://127.0.0.1:8080 -- ids.txt 8   (one existing id a line; depth 8)
local depth = 8
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = "/api/v1/documents/" .. line end
  depth = tonumber(args[2] or "8")
  math.randomseed(os.time())
end
function request()
  local r = {}
  for i = 1, depth do r[i] = wrk.format("GET", paths[math.random(#paths)]) end
  return table.concat(r)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("PIPE requests=%d non2xx=%d sockerr=%d\n", summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
