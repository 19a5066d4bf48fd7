-- wrk script: GET /v1/persons/{id} for random person ids drawn from bench/serve_bench.sh's list.
dofile("bench/serve/report.lua")
local ids = {}
for line in io.lines(os.getenv("QREG_BENCH_IDS")) do ids[#ids + 1] = line end
local token = os.getenv("QREG_BENCH_TOKEN")
math.randomseed(os.time())
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/v1/persons/" .. id, {["Authorization"] = "Bearer " .. token})
end
