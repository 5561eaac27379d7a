package io.qoderevents.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The paging parameters of one list request, validated as the vendor does, and the page
 * they select.
 *
 * @param limit records per page, 1 to 100
 * @param afterId return records after this id
 * @param beforeId return records before this id
 * @param cursorParam the query parameter that named the cursor, if any
 * @param descending newest first
 */
record PageQuery(int limit, String afterId, String beforeId, String cursorParam, boolean descending) {

	private static final List<String> CURSORS = List.of("after_id", "before_id", "page");

	static PageQuery parse(Map<String, String> query) {
		int limit = limit(query.get("limit"));
		List<String> cursors = CURSORS.stream().filter(query::containsKey).toList();
		if (cursors.size() > 1) {
			throw SimulatedError.invalid(cursors.get(1), String.join(", ", CURSORS) + " are mutually exclusive");
		}
		String order = query.getOrDefault("order", "asc");
		if (!order.equals("asc") && !order.equals("desc")) {
			throw SimulatedError.invalid("order", "order must be asc or desc");
		}
		String param = cursors.isEmpty() ? null : cursors.get(0);
		String after = query.get("after_id");
		String before = query.get("before_id");
		if ("page".equals(param)) {
			String cursor = decode(query.get("page"));
			after = cursor.startsWith("a:") ? cursor.substring(2) : null;
			before = cursor.startsWith("b:") ? cursor.substring(2) : null;
		}
		return new PageQuery(limit, after, before, param, order.equals("desc"));
	}

	/**
	 * The response body of the page these parameters select from records in list order.
	 */
	String render(List<Item> records) {
		List<Item> all = this.descending ? reversed(records) : records;
		int from;
		int to;
		boolean hasMore;
		if (this.beforeId != null) {
			to = position(all, this.beforeId, false);
			from = Math.max(0, to - this.limit);
			hasMore = from > 0;
		}
		else {
			from = (this.afterId != null) ? position(all, this.afterId, true) + 1 : 0;
			to = Math.min(all.size(), from + this.limit);
			hasMore = to < all.size();
		}
		List<Item> page = all.subList(from, to);
		String firstId = page.isEmpty() ? null : page.get(0).id();
		String lastId = page.isEmpty() ? null : page.get(page.size() - 1).id();
		String next = page.isEmpty() ? null : (this.beforeId != null) ? token("b:", firstId) : token("a:", lastId);
		StringBuilder body = new StringBuilder("{\"data\":[");
		for (int i = 0; i < page.size(); i++) {
			body.append((i > 0) ? "," : "").append(page.get(i).json());
		}
		return body.append("],\"first_id\":")
			.append(Json.quote(firstId))
			.append(",\"last_id\":")
			.append(Json.quote(lastId))
			.append(",\"has_more\":")
			.append(hasMore)
			.append(",\"next_page\":")
			.append(Json.quote(next))
			.append('}')
			.toString();
	}

	private int position(List<Item> records, String id, boolean last) {
		for (int i = 0; i < records.size(); i++) {
			int index = last ? records.size() - 1 - i : i;
			if (id.equals(records.get(index).id())) {
				return index;
			}
		}
		throw SimulatedError.invalid(this.cursorParam, "Unknown cursor: " + id);
	}

	private static int limit(String value) {
		if (value == null) {
			return 20;
		}
		int limit = value.matches("\\d{1,3}") ? Integer.parseInt(value) : 0;
		if (limit < 1 || limit > 100) {
			throw SimulatedError.invalid("limit", "limit must be an integer between 1 and 100");
		}
		return limit;
	}

	private static String token(String direction, String id) {
		if (id == null) {
			return null;
		}
		byte[] bytes = (direction + id).getBytes(StandardCharsets.UTF_8);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String decode(String token) {
		String cursor;
		try {
			cursor = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			cursor = "";
		}
		if (!cursor.matches("[ab]:.+")) {
			throw SimulatedError.invalid("page", "page is not a valid page token");
		}
		return cursor;
	}

	private static List<Item> reversed(List<Item> records) {
		List<Item> copy = new ArrayList<>(records);
		Collections.reverse(copy);
		return copy;
	}

	/**
	 * One listed record.
	 *
	 * @param id its id, the cursor that addresses it (may be null for malformed events)
	 * @param json its JSON text, served verbatim
	 */
	record Item(String id, String json) {
	}

}
