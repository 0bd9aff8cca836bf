package org.opendelegate.manager.installers;

/** The ECS launch types an installer targets. */
enum LaunchType {
    EC2,
    FARGATE
}
