package modprep.deployment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import modprep.platform.ClassFiles;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * D5: every class and member a module's compilation uses from its producers exists in the producers'
 * compilations that will run. Read from the class files with ASM: module code is never loaded or run.
 * A class counts as a producer's when it lies in a package of that producer's compilation.
 */
public final class BytecodeCheck {
    private static final Set<String> OBJECT_METHODS = Set.of("hashCode()I", "equals(Ljava/lang/Object;)Z",
            "toString()Ljava/lang/String;", "getClass()Ljava/lang/Class;", "notify()V", "notifyAll()V", "wait()V", "wait(J)V",
            "wait(JI)V", "clone()Ljava/lang/Object;", "finalize()V");

    /** What one class declares: its supertypes and members ("name" + descriptor). */
    private record Declared(String owner, String superName, List<String> interfaces, Set<String> fields, Set<String> methods) {
    }

    /** A use of a class, or of one of its members (member null for the class itself). */
    private record Use(String owner, String member, boolean field) {
    }

    private BytecodeCheck() {
    }

    /** What the module uses from its producers that they do not have, each in words; empty when everything is there. */
    public static List<String> missing(ClassFiles module, List<ClassFiles> producers) {
        var declared = new HashMap<String, Declared>();
        var packages = new HashMap<String, String>();
        for (var producer : producers) {
            producer.classes().forEach((path, bytes) -> {
                if (path.endsWith(".class")) {
                    var d = declare(producer.owner(), bytes);
                    declared.putIfAbsent(classNameOf(path), d);
                    packages.putIfAbsent(packageOf(classNameOf(path)), producer.owner());
                }
            });
        }
        var own = module.classes().keySet().stream().filter(p -> p.endsWith(".class")).map(BytecodeCheck::classNameOf)
                .collect(Collectors.toSet());
        var uses = new LinkedHashSet<Use>();
        module.classes().forEach((path, bytes) -> {
            if (path.endsWith(".class")) {
                uses.addAll(usesOf(bytes));
            }
        });
        var problems = new ArrayList<String>();
        for (var use : uses) {
            if (own.contains(use.owner())) {
                continue;
            }
            String producer = packages.get(packageOf(use.owner()));
            if (producer == null) {
                continue; // the JDK's or the system components': not a producer's
            }
            var d = declared.get(use.owner());
            if (d == null) {
                problems.add("class " + readable(use.owner()) + " of " + producer);
            } else if (use.member() != null && !has(declared, use.owner(), use.member(), use.field(), new HashSet<>())) {
                problems.add((use.field() ? "field " : "method ") + readable(use.owner()) + "." + member(use.member(), use.field())
                        + " of " + d.owner());
            }
        }
        return problems.stream().distinct().sorted().toList();
    }

    /** Whether the class or a supertype declares the member; a supertype outside the producers may declare it too. */
    private static boolean has(Map<String, Declared> declared, String owner, String member, boolean field, Set<String> seen) {
        if (!seen.add(owner)) {
            return false;
        }
        var d = declared.get(owner);
        if (d == null) {
            return !owner.equals("java/lang/Object") || (!field && OBJECT_METHODS.contains(member));
        }
        if ((field ? d.fields() : d.methods()).contains(member)) {
            return true;
        }
        if (d.superName() != null && has(declared, d.superName(), member, field, seen)) {
            return true;
        }
        return d.interfaces().stream().anyMatch(i -> has(declared, i, member, field, seen));
    }

    private static Declared declare(String owner, byte[] bytes) {
        var fields = new HashSet<String>();
        var methods = new HashSet<String>();
        var supers = new String[1];
        var interfaces = new ArrayList<String>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] ifaces) {
                supers[0] = superName;
                if (ifaces != null) {
                    interfaces.addAll(List.of(ifaces));
                }
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                fields.add(name + ":" + descriptor);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                methods.add(name + descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new Declared(owner, supers[0], interfaces, fields, methods);
    }

    private static Set<Use> usesOf(byte[] bytes) {
        var uses = new LinkedHashSet<Use>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] ifaces) {
                type(superName);
                if (ifaces != null) {
                    List.of(ifaces).forEach(this::type);
                }
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                descriptor(descriptor);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                descriptor(descriptor);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
                        type(owner);
                        uses.add(new Use(owner, fieldName + ":" + fieldDescriptor, true));
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String methodName, String methodDescriptor, boolean itf) {
                        if (!owner.startsWith("[")) {
                            type(owner);
                            uses.add(new Use(owner, methodName + methodDescriptor, false));
                        }
                        descriptor(methodDescriptor);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        type(type.startsWith("[") ? Type.getType(type).getElementType().getInternalName() : type);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof Type t && t.getSort() == Type.OBJECT) {
                            type(t.getInternalName());
                        }
                    }
                };
            }

            private void descriptor(String descriptor) {
                var t = Type.getType(descriptor);
                var types = t.getSort() == Type.METHOD ? concat(t.getReturnType(), t.getArgumentTypes()) : List.of(t);
                for (var each : types) {
                    var element = each.getSort() == Type.ARRAY ? each.getElementType() : each;
                    if (element.getSort() == Type.OBJECT) {
                        type(element.getInternalName());
                    }
                }
            }

            private void type(String internalName) {
                if (internalName != null) {
                    uses.add(new Use(internalName, null, false));
                }
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return uses;
    }

    private static List<Type> concat(Type first, Type[] rest) {
        var all = new ArrayList<Type>();
        all.add(first);
        all.addAll(List.of(rest));
        return all;
    }

    private static String member(String member, boolean field) {
        if (field) {
            return member.substring(0, member.indexOf(':'));
        }
        int paren = member.indexOf('(');
        var args = List.of(Type.getArgumentTypes(member.substring(paren))).stream().map(BytecodeCheck::simple).toList();
        return member.substring(0, paren) + "(" + String.join(", ", args) + ")";
    }

    private static String simple(Type type) {
        String name = type.getClassName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String readable(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String classNameOf(String path) {
        return path.substring(0, path.length() - ".class".length());
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
