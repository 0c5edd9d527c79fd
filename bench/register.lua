-- register.lua - wrk: POST a new registration each request, every one
-- with its own e-mail address, to the event in the URL.
--
-- thread_id is a global: wrk's thread:set() sets the thread's globals,
-- which a chunk-level local of the same name would hide (every thread
-- then sent the same addresses, and half the requests were refused as
-- duplicates).
local counter = 0
local threads = 0

function setup(thread)
	threads = threads + 1
	thread:set("thread_id", threads)
end

function init(args)
	-- addresses of earlier runs on the same database stay taken
	math.randomseed(os.time() * 64 + thread_id)
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	counter = counter + 1
	local body = string.format(
	    '{"given_name":"Bench","family_name":"Mark",' ..
	    '"email":"b%d-%d-%d@example.be",' ..
	    '"role":"employee","organisation_type":"sme",' ..
	    '"postcode":"8900","consent":{"privacy":true}}',
	    thread_id, counter, math.random(1, 1000000000))
	return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
	if status ~= 201 then
		io.stderr:write("unexpected status " .. status .. "\n")
	end
end
