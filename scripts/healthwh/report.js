// The report's account lookup (inlined into report.html by report.py; no library).
(function(){
var el=document.getElementById('lookup-data');if(!el)return;
var D=JSON.parse(el.textContent),by={},byName={};
D.accounts.forEach(function(a){by[a.id]=a;byName[String(a.n).toLowerCase()]=a.id;});
function esc(t){return String(t==null?'':t).replace(/[&<>"]/g,function(c){
return{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c];});}
var base=Date.parse(D.d0+'T00:00:00Z');
function dateOf(o){return new Date(base+o*864e5);}
function chart(a,W){
var H=W<600?220:280,L=34,R=W<600?58:90,T=12,B=28,pw=W-L-R,ph=H-T-B,days=D.days,n=days.length;
var d0=days[0],d1=days[n-1],span=Math.max(d1-d0,1);
function x(o){return (L+pw*(o-d0)/span).toFixed(1);}
function y(v){return (T+ph-ph*Math.max(0,Math.min(v,100))/100).toFixed(1);}
var s='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 '+W+' '+H+'" width="'+W+'" height="'+H+
'" role="img" aria-label="Score history of '+esc(a.n)+
'" style="font-family:system-ui,sans-serif;max-width:100%;height:auto">';
D.bands.forEach(function(b){var y1=+y(b[2]),y2=+y(b[1]);
s+='<rect x="'+L+'" y="'+y1+'" width="'+pw+'" height="'+(y2-y1).toFixed(1)+'" fill="'+b[3]+
'" fill-opacity="0.08"/>';
if(b[1]>0)s+='<line x1="'+L+'" x2="'+(L+pw)+'" y1="'+y2+'" y2="'+y2+'" stroke="'+b[3]+
'" stroke-dasharray="4 3"/><text x="'+(L+pw+4)+'" y="'+(y2+4)+'" font-size="11" fill="'+b[3]+
'">'+b[1]+'</text>';
s+='<text x="'+(L+pw+4)+'" y="'+((y1+y2)/2+4).toFixed(1)+'" font-size="11" font-weight="600" fill="'+
b[3]+'">'+esc(String(b[0]).replace(/_/g,' '))+'</text>';});
[0,50,100].forEach(function(v){s+='<text x="'+(L-6)+'" y="'+(+y(v)+4)+
'" font-size="11" text-anchor="end" fill="#6b7280">'+v+'</text>';});
var first=dateOf(d0),last=dateOf(d1),yy=first.getUTCFullYear(),mm=first.getUTCMonth();
var every=W<600?6:3;
while(true){var t=Date.UTC(yy,mm,1);if(t>last.getTime())break;
if(t>=first.getTime()&&mm%every===0){var o=Math.round((t-base)/864e5),xx=x(o);
s+='<line x1="'+xx+'" x2="'+xx+'" y1="'+T+'" y2="'+(T+ph)+'" stroke="#e5e7eb"/><text x="'+xx+
'" y="'+(T+ph+16)+'" font-size="11" text-anchor="middle" fill="#6b7280">'+yy+'-'+
String(mm+1).padStart(2,'0')+'</text>';}
mm++;if(mm>11){mm=0;yy++;}}
(D.cfg||[]).forEach(function(c){if(c[0]<d0||c[0]>d1)return;var xx=x(c[0]);
s+='<line class="cfg-change" x1="'+xx+'" x2="'+xx+'" y1="'+T+'" y2="'+(T+ph)+
'" stroke="#7c3aed" stroke-dasharray="2 3"><title>config '+esc(c[1])+'</title></line><text x="'+
(+xx+3)+'" y="'+(T+10)+'" font-size="10" fill="#7c3aed">config '+esc(String(c[1]).slice(0,6))+
'</text>';});
var seg=[],segs=[],prev=null,lastPt=null;
for(var i=0;i<n;i++){var v=a.h[i];
if(v<0||(prev!==null&&days[i]-days[prev]>7)){if(seg.length)segs.push(seg);seg=[];}
if(v>=0){seg.push(x(days[i])+','+y(v/10));prev=i;lastPt=[days[i],v/10];}else prev=null;}
if(seg.length)segs.push(seg);
segs.forEach(function(p){if(p.length===1){var q=p[0].split(',');
s+='<circle cx="'+q[0]+'" cy="'+q[1]+'" r="2" fill="#1f2937"/>';}
else s+='<polyline points="'+p.join(' ')+'" fill="none" stroke="#1f2937" stroke-width="1.6"/>';});
if(lastPt){s+='<circle cx="'+x(lastPt[0])+'" cy="'+y(lastPt[1])+'" r="3.5" fill="#1f2937"/>'+
'<text x="'+(x(lastPt[0])-6)+'" y="'+(y(lastPt[1])-8)+'" font-size="12" text-anchor="end">'+
lastPt[1].toFixed(1)+'</text>';}
s+='<line x1="'+L+'" x2="'+(L+pw)+'" y1="'+(T+ph)+'" y2="'+(T+ph)+'" stroke="#9ca3af"/></svg>';
return s;}
function show(id){var a=by[id];if(!a)return false;
var box=document.getElementById('acct-chart');
var W=Math.max(300,Math.min(1040,(box.clientWidth||1040)));
box.innerHTML=chart(a,W);
var f=['<b>'+esc(a.n)+'</b> ('+esc(a.id)+')'];
if(a.seg)f.push(esc(a.seg));f.push('score '+esc(a.s));if(a.b)f.push(esc(String(a.b).replace(/_/g,' ')));
if(a.d7)f.push('7 days '+esc(a.d7));if(a.dr)f.push('driver: '+esc(a.dr));
if(a.cap)f.push('capped by '+esc(a.cap));if(a.ov)f.push('override: '+esc(a.ov));
f.push('ARR '+esc(a.arr));if(a.csm)f.push('CSM '+esc(a.csm));if(a.ren)f.push('renews '+esc(a.ren));
if(a.pb)f.push('playbook: '+esc(a.pb));
var facts=document.getElementById('acct-facts');facts.innerHTML=f.join(' · ');
facts.setAttribute('data-account',a.id);return true;}
function find(v){v=String(v||'').trim();if(by[v])return v;var k=byName[v.toLowerCase()];
return k||null;}
var q=document.getElementById('acct-q');
if(q){var go=function(){var id=find(q.value);if(id)show(id);};
q.addEventListener('change',go);q.addEventListener('input',go);}
document.addEventListener('click',function(e){var t=e.target.closest('[data-acct]');
if(t&&by[t.getAttribute('data-acct')]){show(t.getAttribute('data-acct'));}});
var h=decodeURIComponent(location.hash.slice(1));
if(!(h&&show(h)))show(D.start);
window.addEventListener('hashchange',function(){var h=decodeURIComponent(location.hash.slice(1));
if(by[h]){show(h);document.getElementById('lookup').scrollIntoView();}});
var rt;window.addEventListener('resize',function(){clearTimeout(rt);rt=setTimeout(function(){
var id=document.getElementById('acct-facts').getAttribute('data-account');show(id);},150);});
})();
