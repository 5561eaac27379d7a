package io.qoderevents.tracking;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface TrackedSessionRepository extends JpaRepository<TrackedSession, String> {

	List<TrackedSession> findBySessionIdGreaterThanOrderBySessionId(String after, Limit limit);

	List<TrackedSession> findByStateAndSessionIdGreaterThanOrderBySessionId(String state, String after, Limit limit);

}
