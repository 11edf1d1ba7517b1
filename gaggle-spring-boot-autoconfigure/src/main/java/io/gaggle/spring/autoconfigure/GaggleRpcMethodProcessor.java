package io.gaggle.spring.autoconfigure;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gaggle.Gaggle;
import io.gaggle.spring.GaggleRpc;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Registers every {@link GaggleRpc @GaggleRpc} method of the application context's beans as an
 * RPC handler of the node being built.
 * <p>
 * The node's handler map is fixed when it is built, which may happen while other beans are still
 * being created (a bean with {@code @GaggleRpc} methods usually injects the node itself). So
 * methods are found from the bean definitions' types, without creating any bean, and each
 * handler resolves its bean when it is first called, by which time the context is refreshed.
 * Declare beans with {@code @GaggleRpc} methods with their concrete type so their methods can be
 * found.
 */
public class GaggleRpcMethodProcessor implements GaggleBuilderCustomizer {

    private final ConfigurableListableBeanFactory beanFactory;

    private final JsonMapper jsonMapper;

    /**
     * @param beanFactory the factory whose bean definitions are searched
     * @param jsonMapper the mapper that converts callers' JSON arguments, the node's own
     */
    public GaggleRpcMethodProcessor(ConfigurableListableBeanFactory beanFactory, JsonMapper jsonMapper) {
        this.beanFactory = beanFactory;
        this.jsonMapper = jsonMapper;
    }

    /**
     * @throws InvalidGaggleConfigurationException if two methods have one name
     */
    @Override
    public void customize(Gaggle.Builder builder) {
        findMethods().forEach(builder::rpc);
    }

    Map<String, GaggleRpcMethod> findMethods() {
        Map<String, GaggleRpcMethod> handlers = new LinkedHashMap<>();
        // allowEagerInit=false: looking must not create beans, e.g. FactoryBeans, mid-creation.
        for (String beanName : this.beanFactory.getBeanNamesForType(Object.class, true, false)) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            Class<?> type = this.beanFactory.getType(beanName, false);
            if (type == null || !AnnotationUtils.isCandidateClass(type, GaggleRpc.class)) {
                continue;
            }
            Map<Method, GaggleRpc> methods = MethodIntrospector.selectMethods(ClassUtils.getUserClass(type),
                    (MethodIntrospector.MetadataLookup<GaggleRpc>) (method) -> AnnotatedElementUtils
                        .findMergedAnnotation(method, GaggleRpc.class));
            methods.forEach((method, annotation) -> {
                String name = StringUtils.hasText(annotation.value()) ? annotation.value() : method.getName();
                GaggleRpcMethod handler = new GaggleRpcMethod(name, this.beanFactory, beanName, method, this.jsonMapper);
                GaggleRpcMethod existing = handlers.putIfAbsent(name, handler);
                if (existing != null) {
                    throw new InvalidGaggleConfigurationException(
                            "Two @GaggleRpc handlers are named '" + name + "': " + existing.describe() + " and "
                                    + handler.describe() + ".",
                            "Give one of them another name with @GaggleRpc(\"...\"); callers dispatch by name, "
                                    + "so each name must be unique in the application.");
                }
            });
        }
        return handlers;
    }
}
