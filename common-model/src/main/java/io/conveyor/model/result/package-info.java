/**
 * The results of the built-in task types: what a handler returns and {@code GET /api/v1/tasks/{id}} shows as {@code
 * result} once the task succeeded. Each type names its record in {@link io.conveyor.model.TaskDefinition#result()}, so
 * the API document types every result and the Java client can read one as its record.
 */
package io.conveyor.model.result;
