-- The read API: a session's first and last event time (usage), and events of given sessions in event-time order.
create index event_session_time_idx on event (session_id, event_time, sequence);
