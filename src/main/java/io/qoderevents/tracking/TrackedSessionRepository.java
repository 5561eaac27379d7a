package io.qoderevents.tracking;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** The API's reads of tracked sessions: one by id, and pages in id order. */
interface TrackedSessionRepository extends JpaRepository<TrackedSession, String> {

	List<TrackedSession> findBySessionIdGreaterThanOrderBySessionId(String after, Limit limit);

	List<TrackedSession> findByStateAndSessionIdGreaterThanOrderBySessionId(SessionState state, String after,
			Limit limit);

}
