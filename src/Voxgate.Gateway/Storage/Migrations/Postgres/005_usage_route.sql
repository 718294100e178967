-- The route that served each request: the upstream provider's configured name, or 'local' for the model's own
-- engine. A request that fell through from a failing route to the next records the one that served it
-- (NULL for refusals and for rows before this version).
ALTER TABLE usage ADD COLUMN route TEXT;
