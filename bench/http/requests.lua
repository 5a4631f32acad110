-- wrk script for bench/http: cycles through the requests of a file given after `--`, one per
-- line: METHOD <tab> PATH [<tab> JSON BODY [<tab> HEADER: VALUE]] (the body may be empty when a
-- header is given: a session cookie that keeps the request out of the page cache, say). Each
-- thread starts at a different line. At the end
-- it prints one line "WRKJSON {...}" (counts and latency percentiles in microseconds).

local requests = {}
local position = 0
local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local method, path, body, header = line:match("^(%u+)\t([^\t]+)\t?([^\t]*)\t?(.*)$")
    if method then
      local headers = {}
      local name, value = header:match("^([%w-]+):%s*(.*)$")
      if name then
        headers[name] = value
      end
      if body == "" then
        body = nil
      else
        headers["Content-Type"] = "application/json"
      end
      requests[#requests + 1] = wrk.format(method, path, headers, body)
    end
  end
  file:close()
  assert(#requests > 0, "no request in " .. args[1])
  position = ((thread_index or 0) * 7919) % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
