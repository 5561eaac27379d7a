package io.qoderevents.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler's {@code @RequestParam} map that takes the query parameters whose names
 * start with a prefix ({@code metadata.} for {@code metadata.team=}): those are accepted
 * by the unknown-parameter check, the others still refused.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface PrefixedParameters {

	/** The prefix of the names the map takes. */
	String value();

}
