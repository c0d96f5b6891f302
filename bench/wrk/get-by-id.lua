-- GET /jobs/{id} on ids picked at random from the file IDS_FILE (one id a line: jobs known
-- to be in the store). Reports with report.lua beside it.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "report.lua")

local ids = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
function init(args)
  local path = os.getenv("IDS_FILE") or error("IDS_FILE is not set")
  for line in io.lines(path) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  if #ids == 0 then error("no ids in " .. path) end
  math.randomseed(os.time() * 1000 + (tid or 0))
end
function request()
  return wrk.format("GET", "/jobs/" .. ids[math.random(#ids)])
end
function done(summary, latency, requests) report(summary, latency) end
