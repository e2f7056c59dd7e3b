// The Lua scripts behind the Redis circuit store's conditional transitions. Redis runs a script
// atomically, so workers racing on one model see a single order of events. Times come in as
// arguments (the caller's clock, injectable in tests); the scripts only compare them.

/**
 * KEYS[1] circuit hash; ARGV[1] now, ARGV[2] trial lease end (epoch ms).
 * Returns { allowed (0|1), state, until } where `until` is retryAt when open and the lease end when half-open.
 */
export const ACQUIRE_SCRIPT = `
local now = tonumber(ARGV[1])
local fields = redis.call('HMGET', KEYS[1], 'state', 'retryAt', 'trialLeaseUntil')
if fields[1] ~= 'open' then return {1, 'closed', ''} end
local retryAt = tonumber(fields[2])
if retryAt == nil or now < retryAt then return {0, 'open', fields[2] or ''} end
local leaseUntil = tonumber(fields[3])
if leaseUntil ~= nil and leaseUntil > now then return {0, 'half-open', fields[3]} end
redis.call('HSET', KEYS[1], 'trialLeaseUntil', ARGV[2])
return {1, 'half-open', ARGV[2]}
`;

/**
 * KEYS[1] circuit hash; ARGV[1] now, ARGV[2] failure threshold, ARGV[3] retryAt if the circuit
 * opens now, ARGV[4] error text. Counts the failure, opens the circuit when a closed one reaches
 * the threshold or a half-open trial fails, and returns the hash (HGETALL).
 */
export const FAILURE_SCRIPT = `
local now = tonumber(ARGV[1])
local fields = redis.call('HMGET', KEYS[1], 'state', 'retryAt')
local isOpen = fields[1] == 'open'
local retryAt = tonumber(fields[2])
local halfOpen = isOpen and retryAt ~= nil and now >= retryAt
local failures = redis.call('HINCRBY', KEYS[1], 'consecutiveFailures', 1)
redis.call('HSET', KEYS[1], 'lastError', ARGV[4])
if not isOpen then redis.call('HSET', KEYS[1], 'state', 'closed') end
if halfOpen or ((not isOpen) and failures >= tonumber(ARGV[2])) then
  redis.call('HSET', KEYS[1], 'state', 'open', 'openedAt', ARGV[1], 'retryAt', ARGV[3])
  redis.call('HDEL', KEYS[1], 'trialLeaseUntil')
end
return redis.call('HGETALL', KEYS[1])
`;
