/**
 * Live members of the cluster: agents and routers register ephemeral nodes
 * ({@link io.datastream.registry.member.EphemeralRegistration}) that vanish when they die, and
 * refresh them with their status and load; {@link io.datastream.registry.member.MemberDirectory}
 * lists them for agents (choosing routers) and ds-control (inventory).
 */
package io.datastream.registry.member;
