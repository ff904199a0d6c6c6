-- The teams whose patients a gateway serves (GatewayTeamsAssigned): a
-- gateway posts readings only for them. Gateways registered before have
-- none until an admin assigns them.
ALTER TABLE gateways ADD COLUMN teams uuid[] NOT NULL DEFAULT '{}';
