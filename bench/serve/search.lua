-- wrk script: GET /v1/persons?name=...&birth_date=... for random names of the registry
-- (bench/serve_bench.sh's list), formatted once per wrk thread as in profile.lua.
dofile("bench/serve/report.lua")
dofile("bench/serve/requests.lua")
init = function(args) prepare_requests("QREG_BENCH_QUERIES", "/v1/persons?") end
request = function() return random_request() end
