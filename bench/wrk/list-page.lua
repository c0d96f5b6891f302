-- GET one page of finished jobs, newest first: /jobs?status=SUCCEEDED&limit=100 (LIST_PATH to change it).
-- Reports with report.lua beside it.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "report.lua")
wrk.method = "GET"
wrk.path = os.getenv("LIST_PATH") or "/jobs?status=SUCCEEDED&limit=100"
function done(summary, latency, requests) report(summary, latency) end
