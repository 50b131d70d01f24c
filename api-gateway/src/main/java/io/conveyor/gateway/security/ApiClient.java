package io.conveyor.gateway.security;

import java.util.Set;

import io.conveyor.gateway.quota.Rate;

/**
 * One client of the keys file: its name (recorded as the owner of the tasks it submits), its roles, the SHA-256
 * of its key (the file never holds a key) and its own request rate, or null for the default.
 */
public record ApiClient(String name, Set<String> roles, byte[] keySha256, Rate rate) {}
