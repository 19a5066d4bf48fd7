-- wrk script: GET /v1/persons/{id} for random person ids drawn from bench/serve_bench.sh's list.
-- The requests are formatted once per wrk thread (in init), not once per request: wrk shares
-- the two cores with the server, and formatting every request in Lua took CPU from it (the
-- bare server's script sends one fixed request).
dofile("bench/serve/report.lua")
dofile("bench/serve/requests.lua")
init = function(args) prepare_requests("QREG_BENCH_IDS", "/v1/persons/") end
request = function() return random_request() end
