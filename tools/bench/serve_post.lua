-- wrk script for tools/bench/serve_load.sh: POSTs the image named by $IMAGE as the raw request body.
wrk.method = "POST"
local f = assert(io.open(os.getenv("IMAGE"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/octet-stream"
