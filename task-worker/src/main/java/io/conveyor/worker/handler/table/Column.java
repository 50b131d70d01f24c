package io.conveyor.worker.handler.table;

/**
 * A column of a result table: its label (made unique within the table) and whether its values are numbers, which
 * the HTML table aligns right.
 */
public record Column(String label, boolean numeric) {}
