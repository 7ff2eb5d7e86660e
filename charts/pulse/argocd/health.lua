-- Argo CD health of every pulse.dev/v1alpha1 kind: EventStream, Metric, Funnel, Retention
-- (Lua 5.1; tested in e2e/ with LuaJ). One script for all four: they share the status contract.
-- Healthy: Ready=True and status.observedGeneration == metadata.generation.
-- Progressing: not yet reconciled, an older generation observed, Ready Unknown, a transient
-- Ready=False reason (a new version backfilling among them), or catching up (Fresh=False reason CatchingUp).
-- Degraded: Ready=False with any other (failure) reason. Suspended: an EventStream with
-- spec.suspend true, or Ready reason Suspended, or PipelineRunning reason Suspended while Ready says only
-- PipelineNotRunning (the analyses of a suspended stream; a failure such as ServingStoreUnavailable outranks it).
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

-- Ready=False reasons that pass by themselves; every other reason is a failure.
local transient = {
  PipelineNotRunning = true, PlanPending = true, Deploying = true, PipelinePending = true,
  CatchingUp = true, Reconciling = true, Upgrading = true, Backfilling = true,
}

local generation = obj.metadata.generation
local observed = obj.status ~= nil and obj.status.observedGeneration or nil
if observed == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Pulse operator to reconcile this resource"
  return hs
end
if generation ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Pulse operator to observe generation " .. generation
  return hs
end

local ready = condition("Ready")
local running = condition("PipelineRunning")
if obj.kind == "EventStream" and obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "spec.suspend is true: the stream's pipelines are suspended"
  return hs
end
if (ready ~= nil and ready.reason == "Suspended")
    or (running ~= nil and running.reason == "Suspended" and (ready == nil or ready.reason == "PipelineNotRunning")) then
  hs.status = "Suspended"
  hs.message = (running ~= nil and running.message) or "The pipeline is suspended"
  return hs
end

if ready == nil or ready.status == "Unknown" then
  hs.status = "Progressing"
  hs.message = (ready ~= nil and ready.message) or "Waiting for the Ready condition"
  return hs
end

if ready.status == "True" then
  local fresh = condition("Fresh")
  if fresh ~= nil and fresh.status == "False" and fresh.reason == "CatchingUp" then
    hs.status = "Progressing"
    hs.message = fresh.message or "Catching up with the stream"
    return hs
  end
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end

local reason = ready.reason or "Unknown"
if transient[reason] then
  hs.status = "Progressing"
else
  hs.status = "Degraded"
end
hs.message = reason .. ": " .. (ready.message or "")
return hs
