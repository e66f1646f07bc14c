-- wrk script: PUT a body of PUT_BYTES (default 64 KiB) to the URL on the command line.
local n = tonumber(os.getenv("PUT_BYTES") or "65536")
wrk.method = "PUT"
wrk.body = string.rep("x", n)
wrk.headers["Content-Type"] = "application/octet-stream"
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
