-- Board cards of one assignee in a column, in board order (the assignee filter, "my leads").
-- The assignee leads, so a query by stage alone never mistakes this for the board's order.
CREATE INDEX leads_board_owner ON leads(assigned, stage_id, position, id)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
-- Board cards of the lost and the junk views, in board order.
CREATE INDEX leads_board_lost ON leads(stage_id, position, id) WHERE deleted_at IS NULL AND lost = 1;
CREATE INDEX leads_board_junk ON leads(stage_id, position, id) WHERE deleted_at IS NULL AND junk = 1 AND lost = 0;
-- Stalled counts under the assignee filter: one assignee's open leads of a stage by activity.
CREATE INDEX leads_stage_owner_activity ON leads(assigned, stage_id, last_activity_at)
WHERE deleted_at IS NULL AND lost = 0 AND junk = 0;
-- Statistics for the new indexes: without them the planner may take an index that matches the
-- column but not the order, and sort a whole column to show its first fifty cards.
ANALYZE;
