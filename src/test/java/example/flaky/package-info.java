/** A job type from outside quiesce, loaded into the packaged jar as a plug-in by a process test. */
package example.flaky;
