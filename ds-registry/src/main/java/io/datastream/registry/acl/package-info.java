/**
 * ZooKeeper authentication and ACLs: a component's digest credential ({@link
 * io.datastream.registry.acl.ZkCredentials}), the ACLs its client gives the nodes it creates
 * ({@link io.datastream.registry.acl.DatastreamAclProvider}), and the provisioning that locks an
 * existing tree so that only control writes tasks and each component writes only its own nodes
 * ({@link io.datastream.registry.acl.ZkAcls}). docs/security.md describes the layout.
 */
package io.datastream.registry.acl;
