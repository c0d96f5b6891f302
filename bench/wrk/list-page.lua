-- GET one page of finished jobs, newest first: /jobs?status=SUCCEEDED&limit=100 (LIST_PATH to change it).
-- Reports with the peers' report.lua (PEERS_WRK: its folder).
local peers = os.getenv("PEERS_WRK") or ((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "../../../shared/peers/bench/wrk")
dofile(peers .. "/report.lua")
wrk.method = "GET"
wrk.path = os.getenv("LIST_PATH") or "/jobs?status=SUCCEEDED&limit=100"
function done(summary, latency, requests) report(summary, latency) end
