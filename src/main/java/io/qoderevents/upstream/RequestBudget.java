package io.qoderevents.upstream;

import java.time.Duration;

/**
 * Where request slots come from: a pace that every instance sending with the same token
 * shares. Times are given relative to the budget's own clock at the moment it answered,
 * so that a caller on another clock can place them on its own.
 */
interface RequestBudget {

	/**
	 * Reserves {@code slots} request slots {@code interval} apart, unless the first would
	 * come more than {@code maxWait} from now, a pause included.
	 */
	Reservation reserve(int slots, Duration interval, Duration maxWait);

	/**
	 * Sends nothing for {@code wait} from now (a later pause already in force is kept).
	 */
	void pauseFor(Duration wait);

	/** How long the pause in force lasts from now (zero or less: none). */
	Duration pausedFor();

	/** Lifts a pause early. */
	void resume();

	/**
	 * What a reservation gave, each relative to the budget's now.
	 *
	 * @param granted whether the slots were reserved
	 * @param firstIn when the first slot comes (when it would have, if refused)
	 * @param pausedFor how long the pause in force lasts (zero or less: none)
	 * @param busyFor when the budget's next free slot comes, every reservation so far
	 * included
	 */
	record Reservation(boolean granted, Duration firstIn, Duration pausedFor, Duration busyFor) {

	}

}
