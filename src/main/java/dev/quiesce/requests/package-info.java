/**
 * What a client may ask of the queue, HTTP aside: submit (the admission, {@code JobIntake}, also the
 * scheduler's way in), read and list ({@code JobQueries}), wait for a finish (the long polls) and cancel
 * ({@code JobCanceller}); it may use {@code jobs}, {@code store}, {@code pool}, {@code lifecycle} and
 * {@code config}.
 */
package dev.quiesce.requests;
