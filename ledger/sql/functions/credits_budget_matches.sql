-- Whether a debit or hold counts toward a budget: its API key's, its actor's (a member's debit is
-- `member:<id>`; a key bound to a member spends as that member), its operation's. An SQL
-- expression, so the planner inlines it where PL/pgSQL evaluates it per item and budget.
CREATE OR REPLACE FUNCTION credits_budget_matches(p_kind text, p_subject text, p_actor text, p_member text,
                                                  p_api_key text, p_operation text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(CASE p_kind
           WHEN 'member' THEN p_member = p_subject OR p_actor = 'member:' || p_subject
           WHEN 'api_key' THEN p_api_key = p_subject OR p_actor = 'key:' || p_subject
           WHEN 'actor' THEN p_actor = p_subject
           WHEN 'operation' THEN p_operation = p_subject
         END, false)
$$;
