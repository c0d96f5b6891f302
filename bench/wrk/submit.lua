-- POST /jobs with a 0 ms sleep job on every request: the cost of storing a job and answering 202.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "report.lua")
wrk.method = "POST"
wrk.path = "/jobs"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":"sleep","params":{"durationMs":0}}'
function done(summary, latency, requests) report(summary, latency) end
