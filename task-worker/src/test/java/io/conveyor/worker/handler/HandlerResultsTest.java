package io.conveyor.worker.handler;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;

import io.conveyor.model.Json;
import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.TaskType;
import io.conveyor.model.result.NoResult;
import io.conveyor.testsupport.ArchitectureRules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each shipped handler returns the result record its type names in {@code @TaskDefinition(result = ...)}: the API
 * document types {@code result} with that record, so a handler that returned something else would break the contract
 * clients are generated from.
 */
class HandlerResultsTest {

    @Test
    void everyHandlerDeclaresItsTypesResultRecord() throws Exception {
        TaskCatalogue catalogue = TaskCatalogue.load();
        List<Class<?>> handlers = ArchitectureRules.mainClasses("io.conveyor.worker").stream()
                .filter(c -> c.isAssignableTo(TaskHandler.class) && !c.isInterface())
                .map(JavaClass::reflect)
                .toList();
        assertFalse(handlers.isEmpty());
        for (Class<?> handler : handlers) {
            Class<?> payload = payloadOf(handler);
            TaskType type = catalogue.forPayload(payload).orElseThrow();
            Method handle = handler.getMethod("handle", payload, TaskContext.class);
            assertTrue(
                    type.resultClass().isAssignableFrom(handle.getReturnType()),
                    handler.getSimpleName() + ".handle returns "
                            + handle.getReturnType().getSimpleName() + ", but type " + type.name() + " declares result "
                            + type.resultClass().getSimpleName());
        }
    }

    @Test
    void noResultIsWrittenAsAnEmptyObject() throws Exception {
        assertEquals("{}", Json.mapper().writeValueAsString(NoResult.INSTANCE));
    }

    private static Class<?> payloadOf(Class<?> handler) {
        for (Type type : handler.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == TaskHandler.class) {
                return (Class<?>) p.getActualTypeArguments()[0];
            }
        }
        throw new AssertionError(handler + " does not implement TaskHandler<P> directly");
    }
}
