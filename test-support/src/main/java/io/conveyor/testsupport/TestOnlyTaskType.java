package io.conveyor.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @TaskDefinition} payload record declared in test sources: a throwaway type that proves the
 * catalogue's discovery. Such a type is left out of the README check, and {@link TestOnlyQueues} deletes its
 * queue when the tests end, since no deployment has it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TestOnlyTaskType {}
