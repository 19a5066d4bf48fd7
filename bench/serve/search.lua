-- wrk script: GET /v1/persons?name=...&birth_date=... for random names of the registry.
dofile("bench/serve/report.lua")
local queries = {}
for line in io.lines(os.getenv("QREG_BENCH_QUERIES")) do queries[#queries + 1] = line end
local token = os.getenv("QREG_BENCH_TOKEN")
math.randomseed(os.time())
request = function()
  local q = queries[math.random(#queries)]
  return wrk.format("GET", "/v1/persons?" .. q, {["Authorization"] = "Bearer " .. token})
end
