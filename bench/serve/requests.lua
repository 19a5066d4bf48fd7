-- Shared by profile.lua and search.lua: authorised GET requests, one per line of the file named
-- by an environment variable (path prefix + line), formatted once, and a random one of them.
local requests = {}

-- wrk runs init outside a protected call: a Lua error there is a "PANIC"; say what is missing.
local function fail(message)
  io.stderr:write("bench/serve: " .. message .. " (bench/serve_bench.sh sets it up)\n")
  os.exit(2)
end

function prepare_requests(list_variable, prefix)
  local token = os.getenv("QREG_BENCH_TOKEN")
  if not token or token == "" then fail("QREG_BENCH_TOKEN is not set: a caseworker token") end
  local list = os.getenv(list_variable)
  if not list or list == "" then fail(list_variable .. " is not set: the file of requests") end
  local file = io.open(list, "r")
  if not file then fail(list_variable .. "=" .. list .. ": cannot read the file") end
  local headers = {["Authorization"] = "Bearer " .. token}
  for line in file:lines() do
    requests[#requests + 1] = wrk.format("GET", prefix .. line, headers)
  end
  file:close()
  if #requests == 0 then fail(list_variable .. "=" .. list .. ": the file is empty") end
  -- Each wrk thread has its own Lua state: seed each differently.
  math.randomseed(os.time() + tonumber(tostring(requests):match("0x(%x+)") or "0", 16))
end

function random_request()
  return requests[math.random(#requests)]
end
