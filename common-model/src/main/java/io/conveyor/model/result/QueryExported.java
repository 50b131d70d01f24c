package io.conveyor.model.result;

/**
 * {@code db_query}: the query's rows, stored as the task's artifact.
 *
 * @param artifact  the file's name ({@code <taskId>.csv} or {@code <taskId>.jsonl})
 * @param format    {@code csv} or {@code jsonl}
 * @param rows      data rows written (the CSV header not counted)
 * @param truncated true when the query had more rows than the limit and only the first {@code rows} were written
 * @param bytes     the artifact's size
 */
public record QueryExported(String artifact, String format, long rows, boolean truncated, long bytes) {}
