package io.datastream.agent.tail;

/** How often a followed file is looked at (NetEase Datastream-NG's file classes). */
public enum FileClass {
    /** Written recently: open, polled every files.fastPollMs and read continuously. */
    FAST,
    /** Quiet for files.slowAfterMs: open, read when inotify reports a write or every files.slowPollMs. */
    SLOW,
    /** Unchanged for files.inactiveAfterMs (or evicted to bound open files): closed, checked by discovery's scans. */
    INACTIVE
}
