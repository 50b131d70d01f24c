package io.conveyor.model.result;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

/** The result of a type that produces nothing ({@code noop}, {@code sleep}, {@code fail}): an empty object. */
// Jackson writes a class without properties as {} only when it carries one of Jackson's annotations.
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public record NoResult() {

    public static final NoResult INSTANCE = new NoResult();
}
