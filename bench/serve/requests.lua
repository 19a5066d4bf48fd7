-- Shared by profile.lua and search.lua: authorised GET requests, one per line of the file named
-- by an environment variable (path prefix + line), formatted once, and a random one of them.
local requests = {}

function prepare_requests(list_variable, prefix)
  local token = os.getenv("QREG_BENCH_TOKEN")
  local headers = {["Authorization"] = "Bearer " .. token}
  for line in io.lines(os.getenv(list_variable)) do
    requests[#requests + 1] = wrk.format("GET", prefix .. line, headers)
  end
  -- Each wrk thread has its own Lua state: seed each differently.
  math.randomseed(os.time() + tonumber(tostring(requests):match("0x(%x+)") or "0", 16))
end

function random_request()
  return requests[math.random(#requests)]
end
