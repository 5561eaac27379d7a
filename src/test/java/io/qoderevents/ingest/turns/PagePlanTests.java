package io.qoderevents.ingest.turns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.qoderevents.TestEvents;
import io.qoderevents.ingest.turns.PagePlan.History;
import io.qoderevents.ingest.turns.Rows.ErrorRow;
import io.qoderevents.ingest.turns.Rows.EventRow;
import io.qoderevents.ingest.turns.Rows.QuarantineRow;
import io.qoderevents.ingest.turns.Rows.Reassignment;
import io.qoderevents.ingest.turns.Rows.TurnRow;
import io.qoderevents.ingest.turns.Rows.TurnState;
import io.qoderevents.ingest.turns.Rows.UsageRow;
import io.qoderevents.upstream.UpstreamEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.qoderevents.TodayEvents.agentMessage;
import static io.qoderevents.TodayEvents.at;
import static io.qoderevents.TodayEvents.credits;
import static io.qoderevents.TodayEvents.endTurn;
import static io.qoderevents.TodayEvents.idle;
import static io.qoderevents.TodayEvents.onThread;
import static io.qoderevents.TodayEvents.pausedTurn;
import static io.qoderevents.TodayEvents.requiresAction;
import static io.qoderevents.TodayEvents.running;
import static io.qoderevents.TodayEvents.spanEnd;
import static io.qoderevents.TodayEvents.terminated;
import static io.qoderevents.TodayEvents.thinking;
import static io.qoderevents.TodayEvents.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan of a page and the turn rules it applies, as pure functions of the page, the
 * ids already stored and the session's turn history: no Spring, no database.
 */
class PagePlanTests {

	private static final String SESSION = "sess_0123456789abcdef0123456789abcdef";

	private static final String OTHER_SESSION = "sess_fedcba9876543210fedcba9876543210";

	private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-04T17:00:00Z");

	private static final String THREAD = "sthr_reviewer";

	@ParameterizedTest(name = "{0}")
	@MethodSource("turnRules")
	void planWhenPagesGivenThenTurnsFollowTheRules(TurnCase rule) {
		long lastSequence = rule.lastSequence;
		History history = rule.history;
		Map<String, TurnRow> stored = new LinkedHashMap<>(history.turns());
		Map<String, TurnRow> touched = new LinkedHashMap<>();
		List<Event> events = new ArrayList<>();
		List<Usage> usage = new ArrayList<>();
		List<Reassignment> reassignments = new ArrayList<>();
		List<String> superseded = new ArrayList<>();
		List<String> endedStored = new ArrayList<>();
		PagePlan plan = null;
		for (List<String> page : rule.pages) {
			plan = PagePlan.of(SESSION, lastSequence, parse(page), Map.of(), history, NOW);
			plan.events().stream().map(Event::of).forEach(events::add);
			plan.usage().stream().map(Usage::of).forEach(usage::add);
			reassignments.addAll(plan.reassignments());
			superseded.addAll(plan.superseded());
			endedStored.addAll(plan.endedStored());
			for (TurnRow turn : plan.turns()) {
				stored.put(turn.turnId(), turn);
				touched.put(turn.turnId(), turn);
			}
			assertThat(plan.quarantine()).isEmpty();
			lastSequence = plan.lastSequence();
			history = new History(plan.state(), Map.copyOf(stored));
		}
		assertThat(events).containsExactlyElementsOf(rule.events);
		assertThat(lastSequence).isEqualTo(rule.lastSequence + rule.events.size());
		assertThat(usage).containsExactlyElementsOf(rule.usage);
		assertThat(touched.values()).containsExactlyElementsOf(rule.turns);
		assertThat(reassignments).containsExactlyElementsOf(rule.reassignments);
		assertThat(superseded).containsExactlyElementsOf(rule.superseded);
		assertThat(endedStored).containsExactlyElementsOf(rule.endedStored);
		assertThat(plan.state()).isEqualTo(rule.state);
		assertThat(plan.running()).isEqualTo(rule.running);
		assertThat(plan.terminal()).isEqualTo(rule.terminal);
	}

	static Stream<TurnCase> turnRules() {
		String[] paused = pausedTurn().stream().flatMap(List::stream).toArray(String[]::new);
		return Stream.of(
				rule("primary shape: events carry their turn_id; the idle's usage gives the turn's tokens and ends it")
					.page(contractMessage("evt_m1", "turn_a", 0), contractEvent("evt_a1", "agent.message", "turn_a", 1),
							contractIdle("evt_i1", "turn_a", 2, endTurn(), tokens(10, 20, 3, 4)))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_a1", "turn_a"), event(3, "evt_i1", "turn_a"))
					.usage(idleUsage("evt_i1", "turn_a", 3, "10/20/3/4", 0, "end_turn", true))
					.turns(turn("turn_a", 1, 0, 2, "end_turn", true, false))
					.state(null, null, 2)
					.running(false),
				rule("today's shape: the user.message's id keys the turn, the running before it joins, spans give"
						+ " credits, requires_action pauses and the later idle ends it")
					.page(paused)
					.events(event(1, "evt_r1", "evt_m1"), event(2, "evt_m1", "evt_m1"), event(3, "evt_k1", "evt_m1"),
							event(4, "evt_s1", "evt_m1"), event(5, "evt_e1", "evt_m1"), event(6, "evt_t1", "evt_m1"),
							event(7, "evt_i1", "evt_m1"), event(8, "evt_c1", "evt_m1"), event(9, "evt_r2", "evt_m1"),
							event(10, "evt_s2", "evt_m1"), event(11, "evt_e2", "evt_m1"), event(12, "evt_a1", "evt_m1"),
							event(13, "evt_i2", "evt_m1"))
					.usage(spanUsage("evt_e1", "evt_m1", 5, "0/0/0/0", "1.25", false),
							idleUsage("evt_i1", "evt_m1", 7, "0/0/0/0", 1, "requires_action", false),
							spanUsage("evt_e2", "evt_m1", 11, "0/0/0/0", "2.8", false),
							idleUsage("evt_i2", "evt_m1", 13, "0/0/0/0", 0, "end_turn", true))
					.turns(pausedTurnRow("evt_m1", 1, 0, 11, "end_turn", false))
					.state(null, null, 11)
					.running(false),
				rule("a turn split across two pages: the second page continues the turn the first left open, and"
						+ " plans what the whole turn on one page plans")
					.page(pausedTurn().get(0).toArray(String[]::new))
					.page(pausedTurn().get(1).toArray(String[]::new))
					.events(event(1, "evt_r1", "evt_m1"), event(2, "evt_m1", "evt_m1"), event(3, "evt_k1", "evt_m1"),
							event(4, "evt_s1", "evt_m1"), event(5, "evt_e1", "evt_m1"), event(6, "evt_t1", "evt_m1"),
							event(7, "evt_i1", "evt_m1"), event(8, "evt_c1", "evt_m1"), event(9, "evt_r2", "evt_m1"),
							event(10, "evt_s2", "evt_m1"), event(11, "evt_e2", "evt_m1"), event(12, "evt_a1", "evt_m1"),
							event(13, "evt_i2", "evt_m1"))
					.usage(spanUsage("evt_e1", "evt_m1", 5, "0/0/0/0", "1.25", false),
							idleUsage("evt_i1", "evt_m1", 7, "0/0/0/0", 1, "requires_action", false),
							spanUsage("evt_e2", "evt_m1", 11, "0/0/0/0", "2.8", false),
							idleUsage("evt_i2", "evt_m1", 13, "0/0/0/0", 0, "end_turn", true))
					.turns(pausedTurnRow("evt_m1", 1, 0, 11, "end_turn", false))
					.state(null, null, 11)
					.running(false),
				rule("a requires_action idle pauses: the turn stays open, the idle counts a pause and no turn, and"
						+ " the session is not running")
					.page(pausedTurn().get(0).toArray(String[]::new))
					.events(event(1, "evt_r1", "evt_m1"), event(2, "evt_m1", "evt_m1"), event(3, "evt_k1", "evt_m1"),
							event(4, "evt_s1", "evt_m1"), event(5, "evt_e1", "evt_m1"), event(6, "evt_t1", "evt_m1"),
							event(7, "evt_i1", "evt_m1"))
					.usage(spanUsage("evt_e1", "evt_m1", 5, "0/0/0/0", "1.25", false),
							idleUsage("evt_i1", "evt_m1", 7, "0/0/0/0", 1, "requires_action", false))
					.turns(pausedTurnRow("evt_m1", 1, 0, null, null, false))
					.state("evt_m1", null, 5)
					.running(false),
				rule("a status_running last on a page waits; the next page's user.message opens the turn and"
						+ " reassigns it")
					.page(running("evt_r1", at(0)))
					.page(userMessage("evt_m1", at(1)), agentMessage("evt_a1", at(2)), idle("evt_i1", at(3), endTurn()))
					.events(event(1, "evt_r1", null), event(2, "evt_m1", "evt_m1"), event(3, "evt_a1", "evt_m1"),
							event(4, "evt_i1", "evt_m1"))
					.usage(idleUsage("evt_i1", "evt_m1", 4, "0/0/0/0", 0, "end_turn", true))
					.turns(turn("evt_m1", 2, 1, 3, "end_turn", false, false))
					.reassignments(new Reassignment(SESSION, 1, 2, "evt_m1"))
					.state(null, null, 3)
					.running(false),
				rule("only the status_running events directly before a user.message join its turn; the turn opens"
						+ " at the first of them")
					.page(running("evt_r1", at(0)), thinking("evt_k1"), running("evt_r2", at(1)),
							running("evt_r3", at(2)), userMessage("evt_m1", at(3)))
					.events(event(1, "evt_r1", null), event(2, "evt_k1", null), event(3, "evt_r2", "evt_m1"),
							event(4, "evt_r3", "evt_m1"), event(5, "evt_m1", "evt_m1"))
					.turns(turn("evt_m1", 3, 1, null, null, false, false))
					.state("evt_m1", null, 3)
					.running(true),
				rule("a new turn_id completes the turn paused before it (issue 22): at its last event, with the"
						+ " pause's stop reason, counted once on its last usage row")
					.page(contractMessage("evt_m1", "turn_a", 0),
							contractIdle("evt_i1", "turn_a", 1, requiresAction("evt_t1"), tokens(1, 2, 0, 0)),
							contractMessage("evt_m2", "turn_b", 2),
							contractIdle("evt_i2", "turn_b", 3, endTurn(), tokens(5, 6, 0, 0)))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_i1", "turn_a"), event(3, "evt_m2", "turn_b"),
							event(4, "evt_i2", "turn_b"))
					.usage(idleUsage("evt_i1", "turn_a", 2, "1/2/0/0", 1, "requires_action", true),
							idleUsage("evt_i2", "turn_b", 4, "5/6/0/0", 0, "end_turn", true))
					.turns(pausedTurnRow("turn_a", 1, 0, 1, "requires_action", true),
							turn("turn_b", 3, 2, 3, "end_turn", true, false))
					.state(null, null, 3)
					.running(false),
				rule("a new turn_id on the next page completes the paused turn the last page left open: its stored"
						+ " last usage row counts it")
					.page(contractMessage("evt_m1", "turn_a", 0),
							contractIdle("evt_i1", "turn_a", 1, requiresAction("evt_t1"), tokens(1, 2, 0, 0)))
					.page(contractMessage("evt_m2", "turn_b", 2),
							contractIdle("evt_i2", "turn_b", 3, endTurn(), tokens(5, 6, 0, 0)))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_i1", "turn_a"), event(3, "evt_m2", "turn_b"),
							event(4, "evt_i2", "turn_b"))
					.usage(idleUsage("evt_i1", "turn_a", 2, "1/2/0/0", 1, "requires_action", false),
							idleUsage("evt_i2", "turn_b", 4, "5/6/0/0", 0, "end_turn", true))
					.turns(pausedTurnRow("turn_a", 1, 0, 1, "requires_action", true),
							turn("turn_b", 3, 2, 3, "end_turn", true, false))
					.endedStored("turn_a")
					.state(null, null, 3)
					.running(false),
				rule("a new turn_id completes an open turn that never paused at its last event, without stop"
						+ " reason; without usage rows it counts nowhere")
					.page(contractMessage("evt_m1", "turn_a", 0), contractEvent("evt_a1", "agent.message", "turn_a", 1),
							contractMessage("evt_m2", "turn_b", 2))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_a1", "turn_a"), event(3, "evt_m2", "turn_b"))
					.turns(turn("turn_a", 1, 0, 1, null, false, false), turn("turn_b", 3, 2, null, null, false, false))
					.state("turn_b", null, 2)
					.running(null),
				rule("a thread event may open the new turn_id first: the primary event of that turn still ends the"
						+ " open one; a late event of a completed turn ends none")
					.page(contractMessage("evt_m1", "turn_a", 0),
							contractIdle("evt_i1", "turn_a", 1, endTurn(), tokens(1, 1, 0, 0)),
							contractMessage("evt_m2", "turn_b", 2),
							onThread(contractEvent("evt_t1", "agent.message", "turn_c", 3), THREAD),
							contractEvent("evt_a1", "agent.message", "turn_a", 4),
							contractMessage("evt_m3", "turn_c", 5))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_i1", "turn_a"), event(3, "evt_m2", "turn_b"),
							threadEvent(4, "evt_t1", "turn_c"), event(5, "evt_a1", "turn_a"),
							event(6, "evt_m3", "turn_c"))
					.usage(idleUsage("evt_i1", "turn_a", 2, "1/1/0/0", 0, "end_turn", true))
					.turns(turn("turn_a", 1, 0, 1, "end_turn", true, false),
							turn("turn_b", 3, 2, 2, null, false, false), turn("turn_c", 4, 3, null, null, false, false))
					.state("turn_c", null, 5)
					.running(false),
				rule("thread events join the primary turn around them (even between a running and its message),"
						+ " neither end it nor change running; their spans count")
					.page(running("evt_r1", at(0)), onThread(userMessage("evt_tm1", at(1)), THREAD),
							userMessage("evt_m1", at(2)),
							onThread(spanEnd("evt_te1", "evt_ts1", at(3), credits("0.5")), THREAD),
							onThread(idle("evt_ti1", at(4), endTurn()), THREAD))
					.events(event(1, "evt_r1", "evt_m1"), threadEvent(2, "evt_tm1", "evt_m1"),
							event(3, "evt_m1", "evt_m1"), threadEvent(4, "evt_te1", "evt_m1"),
							threadEvent(5, "evt_ti1", "evt_m1"))
					.usage(spanUsage("evt_te1", "evt_m1", 4, "0/0/0/0", "0.5", false))
					.turns(turn("evt_m1", 1, 0, null, null, false, false))
					.state("evt_m1", null, 4)
					.running(true),
				rule("a thread's user.message between turns opens no turn")
					.page(onThread(userMessage("evt_tm1", at(0)), THREAD))
					.events(threadEvent(1, "evt_tm1", null))
					.state(null, null, 0)
					.running(null),
				rule("a terminal event ends the open turn, counts it and finishes the session")
					.page(userMessage("evt_m1", at(0)), agentMessage("evt_a1", at(1)), terminated("evt_x1", at(2)))
					.events(event(1, "evt_m1", "evt_m1"), event(2, "evt_a1", "evt_m1"), event(3, "evt_x1", "evt_m1"))
					.usage(new Usage("evt_x1", "evt_m1", 3, "0/0/0/0", "0", 0, 0, "session.status_terminated", true,
							false))
					.turns(turn("evt_m1", 1, 0, 2, "session.status_terminated", false, false))
					.state(null, null, 2)
					.running(false)
					.terminal(),
				rule("a terminal event between turns ends no turn and adds no usage, but finishes the session")
					.page(userMessage("evt_m1", at(0)), idle("evt_i1", at(1), endTurn()), terminated("evt_x1", at(2)))
					.events(event(1, "evt_m1", "evt_m1"), event(2, "evt_i1", "evt_m1"), event(3, "evt_x1", null))
					.usage(idleUsage("evt_i1", "evt_m1", 2, "0/0/0/0", 0, "end_turn", true))
					.turns(turn("evt_m1", 1, 0, 1, "end_turn", false, false))
					.state(null, null, 2)
					.running(false)
					.terminal(),
				rule("a terminal event that is not the page's last leaves the page non-terminal")
					.page(terminated("evt_x1", at(0)), userMessage("evt_m1", at(1)))
					.events(event(1, "evt_x1", null), event(2, "evt_m1", "evt_m1"))
					.turns(turn("evt_m1", 2, 1, null, null, false, false))
					.state("evt_m1", null, 1)
					.running(false),
				rule("idle usage wins over the turn's span tokens on the same page: the span keeps credits and call")
					.page(contractMessage("evt_m1", "turn_a", 0),
							contractSpanEnd("evt_e1", "turn_a", 1,
									"{\"input_tokens\":7,\"output_tokens\":8,\"credits\":0.3}"),
							contractIdle("evt_i1", "turn_a", 2, endTurn(), tokens(10, 20, 0, 0)))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_e1", "turn_a"), event(3, "evt_i1", "turn_a"))
					.usage(spanUsage("evt_e1", "turn_a", 2, "0/0/0/0", "0.3", false),
							idleUsage("evt_i1", "turn_a", 3, "10/20/0/0", 0, "end_turn", true))
					.turns(turn("turn_a", 1, 0, 2, "end_turn", true, false))
					.state(null, null, 2)
					.running(false),
				rule("span tokens count while the turn has no idle usage")
					.page(contractMessage("evt_m1", "turn_a", 0),
							contractSpanEnd("evt_e1", "turn_a", 1, "{\"input_tokens\":7,\"output_tokens\":8}"))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_e1", "turn_a"))
					.usage(spanUsage("evt_e1", "turn_a", 2, "7/8/0/0", "0", true))
					.turns(turn("turn_a", 1, 0, null, null, false, true))
					.state("turn_a", null, 1)
					.running(null),
				rule("idle usage on a later page supersedes the span tokens stored for the turn")
					.page(contractMessage("evt_m1", "turn_a", 0),
							contractSpanEnd("evt_e1", "turn_a", 1, "{\"input_tokens\":7,\"output_tokens\":8}"))
					.page(contractIdle("evt_i1", "turn_a", 2, endTurn(), tokens(10, 20, 0, 0)))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_e1", "turn_a"), event(3, "evt_i1", "turn_a"))
					.usage(spanUsage("evt_e1", "turn_a", 2, "7/8/0/0", "0", true),
							idleUsage("evt_i1", "turn_a", 3, "10/20/0/0", 0, "end_turn", true))
					.turns(turn("turn_a", 1, 0, 2, "end_turn", true, false))
					.superseded("turn_a")
					.state(null, null, 2)
					.running(false),
				rule("an idle that ends a completed turn again moves its end but counts no second turn")
					.page(contractMessage("evt_m1", "turn_a", 0), contractIdle("evt_i1", "turn_a", 1, endTurn(), null),
							contractIdle("evt_i2", "turn_a", 2, "\"cancelled\"", null))
					.events(event(1, "evt_m1", "turn_a"), event(2, "evt_i1", "turn_a"), event(3, "evt_i2", "turn_a"))
					.usage(idleUsage("evt_i1", "turn_a", 2, "0/0/0/0", 0, "end_turn", true),
							idleUsage("evt_i2", "turn_a", 3, "0/0/0/0", 0, "cancelled", false))
					.turns(turn("turn_a", 1, 0, 2, "cancelled", false, false))
					.state(null, null, 2)
					.running(false),
				rule("a page continues the stored open turn from the history: sequences after the last stored one")
					.after(20, new TurnState("evt_m1", null, time(5)),
							new TurnRow(SESSION, "evt_m1", 18, time(3), null, null, false, false, false))
					.page(thinking("evt_k1"), idle("evt_i1", at(9), endTurn()))
					.events(event(21, "evt_k1", "evt_m1"), event(22, "evt_i1", "evt_m1"))
					.usage(idleUsage("evt_i1", "evt_m1", 22, "0/0/0/0", 0, "end_turn", true))
					.turns(turn("evt_m1", 18, 3, 9, "end_turn", false, false))
					.state(null, null, 9)
					.running(false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("pageChecks")
	void planWhenPageGivenThenNewEventsAreSequencedAndTheRestKeptAside(PageCase check) {
		PagePlan plan = PagePlan.of(SESSION, check.lastSequence(), check.page(), check.stored(), History.EMPTY, NOW);
		assertThat(plan.events()).extracting((row) -> row.sequence() + " " + row.id())
			.containsExactlyElementsOf(check.events());
		assertThat(plan.quarantine()).extracting((row) -> row.eventId() + " " + row.reason())
			.containsExactlyElementsOf(check.quarantine());
		assertThat(plan.lastSequence()).isEqualTo(check.lastSequence() + check.events().size());
		assertThat(plan.terminal()).isEqualTo(check.terminal());
	}

	static Stream<PageCase> pageChecks() {
		return Stream.of(
				new PageCase("new events take the sequences after the last stored one, in list order", 41,
						page(plain("evt_a"), plain("evt_b"), plain("evt_c")), Map.of(),
						List.of("42 evt_a", "43 evt_b", "44 evt_c"), List.of(), false),
				new PageCase("events already stored for the session are skipped; the others continue without gaps", 10,
						page(plain("evt_a"), plain("evt_b"), plain("evt_c"), plain("evt_d")),
						Map.of("evt_a", SESSION, "evt_c", SESSION), List.of("11 evt_b", "12 evt_d"), List.of(), false),
				new PageCase("an id another session owns is quarantined, not stored", 5,
						page(plain("evt_a"), plain("evt_b"), plain("evt_c")), Map.of("evt_b", OTHER_SESSION),
						List.of("6 evt_a", "7 evt_c"), List.of("evt_b " + PagePlan.ID_OF_ANOTHER_SESSION), false),
				new PageCase("an id repeated in the page is quarantined after its first occurrence", 0,
						page(plain("evt_a"), plain("evt_b"), typed("evt_a", "agent.message")), Map.of(),
						List.of("1 evt_a", "2 evt_b"), List.of("evt_a " + PagePlan.DUPLICATE_IN_PAGE), false),
				new PageCase("an id stored for this session and repeated in the page is still a duplicate", 3,
						page(plain("evt_a"), plain("evt_a")), Map.of("evt_a", SESSION), List.of(),
						List.of("evt_a " + PagePlan.DUPLICATE_IN_PAGE), false),
				new PageCase("a missing, blank or non-string id is missing_id", 0,
						page(json("{\"type\":\"agent.message\"}"), json("{\"id\":\"\",\"type\":\"agent.message\"}"),
								json("{\"id\":\"  \",\"type\":\"agent.message\"}"),
								json("{\"id\":7,\"type\":\"agent.message\"}"), plain("evt_a")),
						Map.of(), List.of("1 evt_a"),
						List.of("null " + PagePlan.MISSING_ID, " " + PagePlan.MISSING_ID, "   " + PagePlan.MISSING_ID,
								"null " + PagePlan.MISSING_ID),
						false),
				new PageCase(
						"a missing, blank or null type is missing_type", 0, page(json("{\"id\":\"evt_a\"}"),
								json("{\"id\":\"evt_b\",\"type\":\"\"}"), json("{\"id\":\"evt_c\",\"type\":null}")),
						Map.of(), List.of(),
						List.of("evt_a " + PagePlan.MISSING_TYPE, "evt_b " + PagePlan.MISSING_TYPE,
								"evt_c " + PagePlan.MISSING_TYPE),
						false),
				new PageCase("an element that is not an object is not_an_object", 0,
						page(UpstreamEvent.notJson("{not json"), json("[1,2]"), json("\"evt_a\"")), Map.of(), List.of(),
						List.of("null " + PagePlan.NOT_AN_OBJECT, "null " + PagePlan.NOT_AN_OBJECT,
								"null " + PagePlan.NOT_AN_OBJECT),
						false),
				new PageCase("an escaped NUL is quarantined; an escaped backslash before u0000 is text", 0,
						page(withText("evt_n1", "a\\u0000b"), withText("evt_n2", "a\\\\u0000b"),
								withText("evt_n3", "a\\\\\\u0000b"), withText("evt_n4", "\\u0000")),
						Map.of(), List.of("1 evt_n2"),
						List.of("evt_n1 " + PagePlan.NUL_CHARACTER, "evt_n3 " + PagePlan.NUL_CHARACTER,
								"evt_n4 " + PagePlan.NUL_CHARACTER),
						false),
				new PageCase("each terminal type last on the page finishes the session: terminated", 0,
						page(plain("evt_a"), typed("evt_x", "terminated")), Map.of(), List.of("1 evt_a", "2 evt_x"),
						List.of(), true),
				new PageCase("each terminal type last on the page finishes the session: session.deleted", 0,
						page(typed("evt_x", "session.deleted")), Map.of(), List.of("1 evt_x"), List.of(), true),
				new PageCase("a quarantined element after a terminal event takes no sequence and keeps it terminal", 0,
						page(typed("evt_x", "session.status_terminated"), json("{\"type\":\"agent.message\"}")),
						Map.of(), List.of("1 evt_x"), List.of("null " + PagePlan.MISSING_ID), true),
				new PageCase("a terminal event already stored, last on the page, still finishes the session", 8,
						page(plain("evt_a"), typed("evt_x", "session.status_terminated")), Map.of("evt_x", SESSION),
						List.of("9 evt_a"), List.of(), true),
				new PageCase("an empty page changes nothing", 4, List.of(), Map.of(), List.of(), List.of(), false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("eventTimes")
	void planWhenEventsGivenThenEachHasItsEventTime(TimeCase times) {
		History history = new History(new TurnState(null, null, times.lastEventTime()), Map.of());
		PagePlan plan = PagePlan.of(SESSION, 0, times.page(), Map.of(), history, NOW);
		assertThat(plan.events()).extracting(EventRow::eventTime).containsExactlyElementsOf(times.eventTimes());
		assertThat(plan.newestEventTime()).isEqualTo(times.newest());
		assertThat(plan.state().lastEventTime()).isEqualTo(times.eventTimes().get(times.eventTimes().size() - 1));
	}

	static Stream<TimeCase> eventTimes() {
		return Stream.of(
				new TimeCase("created_at wins over processed_at", null,
						page(json("{\"id\":\"evt_a\",\"type\":\"x\",\"created_at\":\"%s\",\"processed_at\":\"%s\"}"
							.formatted(at(5), at(9)))),
						List.of(time(5)), time(5)),
				new TimeCase("processed_at when created_at is missing", null,
						page(json("{\"id\":\"evt_a\",\"type\":\"x\",\"processed_at\":\"%s\"}".formatted(at(9)))),
						List.of(time(9)), time(9)),
				new TimeCase("an unreadable created_at counts as missing", null,
						page(json(
								"{\"id\":\"evt_a\",\"type\":\"x\",\"created_at\":\"yesterday\",\"processed_at\":\"%s\"}"
									.formatted(at(2)))),
						List.of(time(2)), time(2)),
				new TimeCase("a timestamp with an offset is read in UTC", null,
						page(json(
								"{\"id\":\"evt_a\",\"type\":\"x\",\"created_at\":\"2026-11-30T17:00:05.123+08:00\"}")),
						List.of(time(5)), time(5)),
				new TimeCase("an event without a timestamp takes the time of the event before it", null,
						page(json(running("evt_a", at(3))), json(thinking("evt_b"))), List.of(time(3), time(3)),
						time(3)),
				new TimeCase("without any earlier time, the ingestion time", null,
						page(json(thinking("evt_b")), json(running("evt_a", at(3)))), List.of(NOW, time(3)), NOW),
				new TimeCase("the last stored event's time carries over to the page's untimed first event", time(7),
						page(json(thinking("evt_b"))), List.of(time(7)), time(7)),
				new TimeCase("the newest time is the latest one, not the last one", null,
						page(json(running("evt_a", at(5))), json(running("evt_b", at(2)))), List.of(time(5), time(2)),
						time(5)));
	}

	@Test
	void planWhenEventStoredThenItsPayloadIsTheUpstreamBytes() {
		String raw = "{ \"id\" : \"evt_u\", \"type\":\"agent.message\", \"text\":\"caf\\u00e9 café 🙂\" }";
		PagePlan plan = PagePlan.of(SESSION, 0, page(json(raw)), Map.of(), History.EMPTY, NOW);
		assertThat(plan.events()).singleElement()
			.satisfies((row) -> assertThat(row.payload()).isEqualTo(raw.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void planWhenIdOfAnotherSessionThenQuarantineKeepsTheRawTextAndItsFingerprint() {
		String raw = userMessage("evt_m1", at(0));
		PagePlan plan = PagePlan.of(SESSION, 0, page(json(raw)), Map.of("evt_m1", OTHER_SESSION), History.EMPTY, NOW);
		assertThat(plan.quarantine())
			.containsExactly(new QuarantineRow(SESSION, "evt_m1", PagePlan.ID_OF_ANOTHER_SESSION, raw, sha256(raw)));
		assertThat(plan.events()).isEmpty();
		assertThat(plan.turns()).isEmpty();
		assertThat(plan.running()).isNull();
		assertThat(plan.newestEventTime()).isNull();
		assertThat(plan.state()).isEqualTo(TurnState.EMPTY);
	}

	@Test
	void planWhenSessionErrorThenItIsFlattenedIntoAnErrorRowOfItsTurn() {
		String error = TestEvents.error(SESSION, "evt_x1", at(1), "model_overloaded_error",
				"timed out after 31s (req_a1b2c3d4)", "retrying");
		PagePlan plan = PagePlan.of(SESSION, 0, page(json(userMessage("evt_m1", at(0))), json(error)), Map.of(),
				History.EMPTY, NOW);
		assertThat(plan.errors()).containsExactly(new ErrorRow("evt_x1", SESSION, "evt_m1", time(1),
				"model_overloaded_error", "timed out after 31s (req_a1b2c3d4)", "timed out after <n>s (<id>)",
				"TimeoutError", "timed out after 31s (req_a1b2c3d4)", "retrying"));
	}

	private static TurnCase rule(String rule) {
		return new TurnCase(rule);
	}

	private static Event event(long sequence, String id, String turnId) {
		return new Event(sequence, id, turnId, null);
	}

	private static Event threadEvent(long sequence, String id, String turnId) {
		return new Event(sequence, id, turnId, THREAD);
	}

	private static Usage idleUsage(String id, String turnId, long sequence, String tokens, int pauses,
			String stopReason, boolean countsTurn) {
		return new Usage(id, turnId, sequence, tokens, "0", 0, pauses, stopReason, countsTurn, false);
	}

	private static Usage spanUsage(String id, String turnId, long sequence, String tokens, String credits,
			boolean spanTokens) {
		return new Usage(id, turnId, sequence, tokens, credits, 1, 0, null, false, spanTokens);
	}

	private static TurnRow turn(String turnId, long openedSequence, int startedAt, Integer completedAt,
			String stopReason, boolean idleUsage, boolean spanTokens) {
		return new TurnRow(SESSION, turnId, openedSequence, time(startedAt),
				(completedAt != null) ? time(completedAt) : null, stopReason, idleUsage, spanTokens, false);
	}

	/** A turn a {@code requires_action} idle paused, without span tokens. */
	private static TurnRow pausedTurnRow(String turnId, long openedSequence, int startedAt, Integer completedAt,
			String stopReason, boolean idleUsage) {
		return new TurnRow(SESSION, turnId, openedSequence, time(startedAt),
				(completedAt != null) ? time(completedAt) : null, stopReason, idleUsage, false, true);
	}

	/** The time {@code seconds} after the start of {@link io.qoderevents.TodayEvents}. */
	private static OffsetDateTime time(int seconds) {
		return OffsetDateTime.parse(at(seconds));
	}

	private static String contractMessage(String id, String turnId, int second) {
		return contractEvent(id, "user.message", turnId, second);
	}

	private static String contractEvent(String id, String type, String turnId, int second) {
		return """
				{"id":"%s","type":"%s","session_id":"%s","turn_id":"%s","schema_version":"1.0","created_at":"%s",\
				"processed_at":"%s"}""".formatted(id, type, SESSION, turnId, at(second), at(second));
	}

	/**
	 * An idle event of the primary contract; {@code usage} is JSON or null to omit it.
	 */
	private static String contractIdle(String id, String turnId, int second, String stopReason, String usage) {
		return """
				{"id":"%s","type":"session.status_idle","session_id":"%s","turn_id":"%s","created_at":"%s",\
				"status":"idle"%s,"stop_reason":%s}""".formatted(id, SESSION, turnId, at(second),
				(usage != null) ? ",\"usage\":" + usage : "", stopReason);
	}

	private static String contractSpanEnd(String id, String turnId, int second, String modelUsage) {
		return """
				{"id":"%s","type":"span.model_request_end","session_id":"%s","turn_id":"%s","created_at":"%s",\
				"model_usage":%s}""".formatted(id, SESSION, turnId, at(second), modelUsage);
	}

	private static String tokens(long input, long output, long cacheRead, long cacheCreation) {
		return """
				{"input_tokens":%d,"output_tokens":%d,"cache_read_input_tokens":%d,\
				"cache_creation_input_tokens":%d}""".formatted(input, output, cacheRead, cacheCreation);
	}

	private static UpstreamEvent plain(String id) {
		return typed(id, "agent.message");
	}

	private static UpstreamEvent typed(String id, String type) {
		return json("{\"id\":\"%s\",\"type\":\"%s\",\"processed_at\":\"%s\"}".formatted(id, type, at(0)));
	}

	/** An agent message whose text is {@code escapedText} as written inside the JSON. */
	private static UpstreamEvent withText(String id, String escapedText) {
		return json("{\"id\":\"%s\",\"type\":\"agent.message\",\"text\":\"%s\"}".formatted(id, escapedText));
	}

	private static UpstreamEvent json(String raw) {
		return UpstreamEvent.of(raw);
	}

	private static List<UpstreamEvent> page(UpstreamEvent... events) {
		return List.of(events);
	}

	private static List<UpstreamEvent> parse(List<String> page) {
		return page.stream().map(UpstreamEvent::of).toList();
	}

	private static String sha256(String raw) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A stored event as the turn rules see it. */
	record Event(long sequence, String id, String turnId, String sessionThreadId) {

		static Event of(EventRow row) {
			return new Event(row.sequence(), row.id(), row.turnId(), row.sessionThreadId());
		}

	}

	/**
	 * A usage row with its tokens as {@code input/output/cacheRead/cacheCreation} and its
	 * credits as plain text.
	 */
	record Usage(String eventId, String turnId, long sequence, String tokens, String credits, long modelRequests,
			int pauses, String stopReason, boolean countsTurn, boolean spanTokens) {

		static Usage of(UsageRow row) {
			return new Usage(row.eventId(), row.turnId(), row.sequence(),
					row.counters().inputTokens() + "/" + row.counters().outputTokens() + "/"
							+ row.counters().cacheReadInputTokens() + "/" + row.counters().cacheCreationInputTokens(),
					row.counters().credits().toPlainString(), row.counters().modelRequests(), row.pauses(),
					row.stopReason(), row.countsTurn(), row.spanTokens());
		}

	}

	record PageCase(String rule, long lastSequence, List<UpstreamEvent> page, Map<String, String> stored,
			List<String> events, List<String> quarantine, boolean terminal) {

		@Override
		public String toString() {
			return this.rule;
		}

	}

	record TimeCase(String rule, OffsetDateTime lastEventTime, List<UpstreamEvent> page,
			List<OffsetDateTime> eventTimes, OffsetDateTime newest) {

		@Override
		public String toString() {
			return this.rule;
		}

	}

	/**
	 * A run of pages of one session and everything their plans should derive: events,
	 * usage and reassignments of all pages in order, each touched turn as the last page
	 * left it, and the last page's state.
	 */
	static final class TurnCase {

		private final String rule;

		private final List<List<String>> pages = new ArrayList<>();

		private long lastSequence;

		private History history = History.EMPTY;

		private List<Event> events = List.of();

		private List<Usage> usage = List.of();

		private List<TurnRow> turns = List.of();

		private List<Reassignment> reassignments = List.of();

		private List<String> superseded = List.of();

		private List<String> endedStored = List.of();

		private TurnState state;

		private Boolean running;

		private boolean terminal;

		TurnCase(String rule) {
			this.rule = rule;
		}

		TurnCase after(long lastSequence, TurnState state, TurnRow... stored) {
			this.lastSequence = lastSequence;
			Map<String, TurnRow> turns = new LinkedHashMap<>();
			Arrays.stream(stored).forEach((turn) -> turns.put(turn.turnId(), turn));
			this.history = new History(state, turns);
			return this;
		}

		TurnCase page(String... events) {
			this.pages.add(List.of(events));
			return this;
		}

		TurnCase events(Event... events) {
			this.events = List.of(events);
			return this;
		}

		TurnCase usage(Usage... usage) {
			this.usage = List.of(usage);
			return this;
		}

		TurnCase turns(TurnRow... turns) {
			this.turns = List.of(turns);
			return this;
		}

		TurnCase reassignments(Reassignment... reassignments) {
			this.reassignments = List.of(reassignments);
			return this;
		}

		TurnCase superseded(String... turnIds) {
			this.superseded = List.of(turnIds);
			return this;
		}

		TurnCase endedStored(String... turnIds) {
			this.endedStored = List.of(turnIds);
			return this;
		}

		TurnCase state(String openTurnId, Long pendingFrom, int lastEventTime) {
			this.state = new TurnState(openTurnId, pendingFrom, time(lastEventTime));
			return this;
		}

		TurnCase running(Boolean running) {
			this.running = running;
			return this;
		}

		TurnCase terminal() {
			this.terminal = true;
			return this;
		}

		@Override
		public String toString() {
			return this.rule;
		}

	}

}
