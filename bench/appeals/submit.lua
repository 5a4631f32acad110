-- wrk script for bench/appeals: cycles through the requests of a file given after `--` (one per
-- line: METHOD <tab> PATH [<tab> JSON BODY]); each thread starts at a different line. With a
-- second argument (a path prefix), every 201's registration number is written to
-- <prefix><thread index>, one a line, so the bench can check that no acknowledged appeal is
-- missing. At the end it prints one line "WRKJSON {...}" (counts, latency percentiles in us).

local requests = {}
local position = 0
local thread_count = 0
local out = nil

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    if method then
      local headers = {}
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
  if args[2] then
    out = assert(io.open(args[2] .. tostring(thread_index or 0), "w"))
  end
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if out and status == 201 then
    local number = body:match('"registration_number"%s*:%s*"([^"]+)"')
    if number then
      out:write(number, "\n")
      out:flush()
    end
  end
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
