package io.conveyor.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shortest a duration setting may be, as ISO-8601 ({@code "PT0S"}: zero allowed, negative not;
 * {@code "PT0.001S"}: at least a millisecond); checked at startup by {@link ConfigLimits}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NoShorterThan {
    String value();
}
