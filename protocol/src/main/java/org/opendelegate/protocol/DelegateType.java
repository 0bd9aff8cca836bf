package org.opendelegate.protocol;

/** How a delegate was installed. */
public enum DelegateType {
    /** A container in an AWS ECS task (EC2 or Fargate launch type). */
    ECS,
    /** A process started by the shell-script installer on a Linux host. */
    SHELL,
    /** A plain Docker container outside ECS. */
    DOCKER
}
