-- One slot of a rate-limited key, if every window allows it (see limiter.rs).
-- KEYS[1]: the key's log (sorted set: member = request, score = when it completed, in ms;
--          while in flight: when its lease ends). KEYS[2]: the key's pause (set on a 429).
-- ARGV: member, lease ms, margin ms, then (window ms, limit) pairs.
-- Returns {1, 0, 1} when the slot is taken, else {0, wait ms, exact}: exact = 0 when the
-- slot waits for a request still in flight (the wait is then an estimate: the window).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {0, paused, 1} end
local lease, margin = tonumber(ARGV[2]), tonumber(ARGV[3])
local longest = 0
for i = 4, #ARGV, 2 do longest = math.max(longest, tonumber(ARGV[i])) end
-- Requests that completed before the longest window no longer constrain anything.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest - margin)
local wait, exact = 0, 1
for i = 4, #ARGV, 2 do
  local window, limit = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local from = now - window - margin
  local n = redis.call('ZCOUNT', KEYS[1], '(' .. from, '+inf')
  if n >= limit then
    -- A slot frees when the (n - limit + 1)-th earliest of them leaves the window.
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. from, '+inf', 'WITHSCORES', 'LIMIT', n - limit, 1)
    local score = tonumber(e[2])
    if score > now then
      -- Still in flight: it may finish any moment; then the window runs. An estimate.
      if window + margin > wait then wait, exact = window + margin, 0 end
    elseif score + window + margin - now > wait then
      wait, exact = score + window + margin - now, 1
    end
  end
end
if wait > 0 then return {0, wait, exact} end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], longest + margin + lease)
return {1, 0, 1}
