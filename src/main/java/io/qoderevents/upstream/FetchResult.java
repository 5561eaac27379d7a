package io.qoderevents.upstream;

/**
 * The outcome of one upstream request: a page or a typed failure. The client never throws
 * for an upstream outcome.
 *
 * @param <T> the page type
 */
public sealed interface FetchResult<T> permits FetchResult.Success, UpstreamFailure {

	/**
	 * A page the upstream answered with.
	 *
	 * @param <T> the page type
	 * @param page the parsed page
	 */
	record Success<T>(T page) implements FetchResult<T> {
	}

}
