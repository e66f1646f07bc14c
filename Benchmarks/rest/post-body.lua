-- wrk script: POST the file named by BODY_FILE with CONTENT_TYPE and a bearer TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/yaml"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local file = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.body = file:read("*a")
file:close()
