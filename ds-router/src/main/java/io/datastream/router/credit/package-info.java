/**
 * Back-pressure: the bounded {@link io.datastream.router.credit.MemoryPool} every accepted batch
 * is held in until Kafka acknowledges it, the per-connection credit window
 * ({@link io.datastream.router.credit.CreditPolicy}: a fair share of the pool, never below the
 * largest batch) and the {@link io.datastream.router.credit.CreditPump} that retries grants the
 * pool could not cover when they were due. docs/router.md describes the algorithm.
 */
package io.datastream.router.credit;
