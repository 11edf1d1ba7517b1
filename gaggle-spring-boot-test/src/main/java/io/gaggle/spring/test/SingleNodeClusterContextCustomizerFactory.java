package io.gaggle.spring.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives a test class annotated with {@link AutoConfigureGaggle}, or nested in one, its
 * {@link SingleNodeClusterContextCustomizer}.
 */
class SingleNodeClusterContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        boolean annotated = TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureGaggle.class);
        return annotated ? new SingleNodeClusterContextCustomizer() : null;
    }
}
