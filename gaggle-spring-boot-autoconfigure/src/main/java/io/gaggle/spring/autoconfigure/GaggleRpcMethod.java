package io.gaggle.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.gaggle.Gaggle;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ReflectionUtils;

/**
 * A {@link io.gaggle.spring.GaggleRpc @GaggleRpc} bean method as a Gaggle RPC handler. The bean is
 * looked up on each call rather than held: the handler map must be complete when the node is
 * built, which can be before the bean itself has been created.
 */
final class GaggleRpcMethod implements Gaggle.RpcHandler {

    private final String name;

    private final BeanFactory beanFactory;

    private final String beanName;

    private final Method method;

    private final JsonMapper jsonMapper;

    private final JavaType[] parameterTypes;

    GaggleRpcMethod(String name, BeanFactory beanFactory, String beanName, Method method, JsonMapper jsonMapper) {
        this.name = name;
        this.beanFactory = beanFactory;
        this.beanName = beanName;
        this.method = method;
        this.jsonMapper = jsonMapper;
        this.parameterTypes = new JavaType[method.getParameterCount()];
        for (int i = 0; i < this.parameterTypes.length; i++) {
            this.parameterTypes[i] = jsonMapper.constructType(method.getGenericParameterTypes()[i]);
        }
    }

    /** Where the handler lives, for messages: bean name and method. */
    String describe() {
        return "bean '" + this.beanName + "' (" + this.method.getDeclaringClass().getName() + "."
                + this.method.getName() + ")";
    }

    @Override
    public Object handle(Gaggle leader, List<JsonNode> args) throws Exception {
        Object bean = this.beanFactory.getBean(this.beanName);
        // The bean may be a proxy (AOP, scoped), whose class declares the method anew.
        Method invocable = AopUtils.selectInvocableMethod(this.method, bean.getClass());
        ReflectionUtils.makeAccessible(invocable);
        try {
            return invocable.invoke(bean, arguments(leader, args));
        }
        catch (InvocationTargetException ex) {
            if (ex.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw (Error) ex.getCause();
        }
    }

    private Object[] arguments(Gaggle leader, List<JsonNode> args) {
        List<Object> values = new ArrayList<>(this.parameterTypes.length);
        int position = 0;
        for (JavaType type : this.parameterTypes) {
            if (type.getRawClass() == Gaggle.class) {
                values.add(leader);
                continue;
            }
            // As the original's JavaScript functions: missing arguments are null, extra ones ignored.
            JsonNode arg = (position < args.size()) ? args.get(position) : NullNode.getInstance();
            try {
                values.add(this.jsonMapper.treeToValue(arg, type));
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException("argument " + position + " of rpc '" + this.name
                        + "' does not convert to " + type.toCanonical() + ": " + ex.getMessage(), ex);
            }
            position++;
        }
        return values.toArray();
    }
}
