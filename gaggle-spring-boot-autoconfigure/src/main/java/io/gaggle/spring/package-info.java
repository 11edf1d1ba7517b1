/**
 * What applications use of the Gaggle Spring Boot integration: {@link io.gaggle.spring.GaggleRpc}
 * and the {@link io.gaggle.spring.GaggleEvent} application events.
 */
package io.gaggle.spring;
